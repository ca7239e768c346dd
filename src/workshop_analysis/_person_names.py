"""Word lists for :mod:`workshop_analysis.redact` (no personal data: common names only).

* ``FIRST_NAMES``: given names common in Germany (German, Turkish, Arabic, Polish,
  Russian/Ukrainian, Balkan, Italian, Greek, English origin). A word of this list is taken
  for a name wherever it stands as a whole capitalised word, so words that are also
  ordinary German or English words (*Ernst*, *Rosa*, *Mai*, *August*, *Will*, *Nur*, *Can*
  …) are left out on purpose.
* ``SURNAMES``: common family names in Germany (the top of the Digitales
  Familiennamenwörterbuch Deutschlands' telephone count, and frequent names of Turkish,
  Polish, Arabic, Russian, Italian, Greek, Vietnamese origin). A surname alone is only a
  name in a name context (after *Frau*, a role, a first name, an initial, before a verb of
  speech, or as a whole ``source`` value).
* ``COMMON_WORDS``: surnames that are also ordinary words or places (*Koch*, *Meister*,
  *Essen*): never replaced alone without a name context, even for a listed participant.
* ``PLACES``: German cities and districts (also organisation suffixes such as "JC Essen").

Sources: the surname ranking in "Die zehn häufigsten Nachnamen im Land" (Volksstimme/dpa,
citing the Digitales Familiennamenwörterbuch Deutschlands, 2018) and the top-20 list at
fragenohneantwort.de ("Nachnamen"); the other names are common spellings compiled for
this list.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FIRST_NAMES = _words(
    """
    Aaron Adam Adrian Agnieszka Ahmad Ahmed Ahmet Aisha Aleksandra Alexander Alexandra
    Alexej Ali Alia Alina Alexia Amelie Amir Amira Ana Anastasia Andrea Andreas Andrzej
    Angelika Anita Anja Anke Anna Anna-Lena Anne Annette Anneliese Anni Antje Anton Antonia
    Arne Arnd Axel Aylin Ayse Ayşe Barbara Bärbel Beate Ben Benedikt Benjamin Bernd
    Bernhard Berit Bettina Birgit Björn Bogdan Boris Brigitte Burak Carina Carla Carmen
    Carolin Caroline Carsten Celina Charlotte Christa Christel Christian Christiane
    Christina Christine Christoph Christopher Claudia Clemens Cornelia Dagmar Daniel Daniela
    Dariusz Dennis Detlef Diana Dieter Dietmar Dirk Dmitri Dominik Doris Dorothea Dorota
    Edith Elena Elias Elif Elisabeth Elke Ella Emil Emilia Emily Emine Emma Emre Erik Esra
    Eva Ewa Fabian Fatima Fatma Felix Finn Florian Frank Franziska Frauke Friedrich Gabriele
    Georg Gerda Gerhard Gisela Gudrun Günter Günther Hakan Halina Hamza Hannah Hanna Hannelore
    Hans Hans-Jürgen Hans-Peter Hasan Hassan Heidi Heike Heiko Heinz Helga Helmut Hendrik
    Henrik Herbert Hildegard Holger Hüseyin Ibrahim Ilse Ines Ingo Ingrid Irina Irmgard
    Isabel Isabell Ivan Jakob Jan Jana Janina Jannik Jens Jessica Joachim Johanna
    Johannes Jonas Jonathan Jörg Josef Joseph Julia Julian Juliane Jürgen Justyna Jutta
    Karin Karl Karl-Heinz Karolina Katarzyna Katharina Kathrin Katja Katrin Kerstin Kevin
    Khalid Kim Klaus Konrad Krzysztof Kristina Lara Larissa Laura Lea Leah Lena Leon Leonie
    Lina Linda Lisa Lothar Louisa Luca Lucas Lukas Łukasz Luisa Lutz Magdalena Maik Malte
    Mandy Manfred Manuel Manuela Mara Marc Marcel Marco Marcus Maren Maria Marie Marina Mario
    Marion Marius Mariusz Markus Marlene Martha Martin Martina Marta Mathias Matthias Maximilian
    Mehmet Melanie Melissa Merve Michael Michaela Michał Miriam Mohamed Mohammad Mohammed
    Moritz Murat Mustafa Nadine Nadja Natalia Natalie Nicole Niklas Nils Nina Noah Norbert
    Olaf Olga Oliver Olivia Ömer Oskar Patricia Patrick Paul Paula Paulina Peter Petra
    Philipp Piotr Rainer Ralf Ralph Ramona Rebecca Regina Reinhard Renate Rene René Robert
    Roland Rolf Ronja Rüdiger Sabine Sabrina Sami Samir Sandra Sarah Sara Sascha Sebastian
    Selin Serkan Sergej Silke Simon Simone Sofia Sonja Sophia Sophie Stefan Stefanie Steffen
    Stephan Stephanie Susanne Sven Svenja Svetlana Swen Tanja Tatjana Thomas Thorsten Tim
    Timo Tobias Tom Torsten Ulrich Ulrike Ursula Ute Uwe Valentina Vanessa Vera Viktor
    Viktoria Volker Waltraud Werner Wilhelm Wojciech Wolfgang Yasemin Yasin Yusuf Yvonne
    Zeynep Zofia
    Andrew Anthony Brian David Elizabeth Emma Emily George Jack James Jane Jennifer John
    Jonathan Joseph Karen Laura Margaret Mary Matthew Michael Patricia Rachel Richard Sarah
    Steven Susan William
    """
)

SURNAMES = _words(
    """
    Albers Arnold Bauer Baumann Beck Becker Berger Bergmann Böhm Brandt Braun Busch Dietrich
    Engel Fischer Frank Friedrich Fuchs Graf Günther Haas Hahn Hartmann Heinrich Herrmann
    Hoffmann Hofmann Horn Huber Jäger Jung Kaiser Keller Klein Koch Köhler König Krämer Kraus
    Krause Krüger Kuhn Kühn Lang Lange Lehmann Lorenz Ludwig Maier Martin Mayer Meier Meister
    Meyer Möller Müller Neumann Otto Peters Pohl Richter Roth Sauer Schäfer Scholz Schneider
    Schmid Schmidt Schmitt Schmitz Schröder Schubert Schulte Schulz Schulze Schumacher Schuster
    Schwarz Seidel Simon Sommer Stein Thomas Vogel Vogt Wagner Walter Weber Weiß Werner
    Winkler Winter Wolf Wolff Ziegler Zimmermann Albrecht Beyer Brinkmann Dörr Ebert Eckert
    Franke Frey Gerlach Götz Hansen Heinz Hesse Hinz Jansen Janßen Kaufmann Kirchner Kramer
    Kuhlmann Lindner Marx Menzel Michels Nowak Ott Paul Petersen Ritter Schreiber Seifert
    Stahl Thiel Voigt Wendt Wilhelm Witt Wolter Ziegler Albrecht Heide Berg Kaya Yılmaz Yilmaz
    Demir Şahin Sahin Çelik Celik Yıldız Yildiz Yıldırım Yildirim Öztürk Özturk Aydın Aydin
    Özdemir Ozdemir Arslan Doğan Dogan Kılıç Kilic Aslan Çetin Cetin Kara Koç Kurt Özkan
    Şimşek Simsek Polat Korkmaz Erdoğan Erdogan Aksoy Güneş Gunes Acar Kowalski Kowalska
    Nowak Wiśniewski Wisniewski Wójcik Wojcik Kowalczyk Kamiński Kaminski Lewandowski
    Zieliński Zielinski Szymański Szymanski Woźniak Wozniak Dąbrowski Dabrowski Kozłowski
    Kozlowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski
    Pawlowski Michalski Zając Zajac Król Wieczorek Jabłoński Jablonski Majewski Olszewski
    Stępień Jaworski Malinowski Adamczyk Dudek Nowicki Pawlak Górski Witkowski Walczak
    Sikora Baran Rutkowski Michalak Szewczyk Ostrowski Tomaszewski Pietrzak Wróbel Marciniak
    Schmitz Khalil Haddad Hassan Hussein Ibrahim Mahmoud Mansour Nasser Saleh Yousef Youssef
    Abdullah Rahman Karim Aziz Hamdan Hamid Khoury Suleiman Sulaiman Jaber Darwish Omar
    Al-Hassan Al-Sayed El-Sayed Abu-Zaid Haidari Ahmadi Hosseini Rahimi Mohammadi Popov
    Ivanov Iwanow Petrov Smirnov Kuznetsov Sokolov Wolkow Becker Schmidt Nguyen Tran Pham
    Le Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Papadopoulos
    Georgiou Dimitriou Nikolaidis Petrović Petrovic Jovanović Jovanovic Horvat Kovačević
    Kovacevic Hodžić Hodzic Smith Jones Williams Brown Taylor Davies Evans Wilson Johnson
    Kaczmarek Kozak Wagner Kessler Busch Lehnert Gross Groß Heinrichs Fink Kraft Ernst
    Sander Bergmann Pfeiffer Voss Voß Brandl Hübner Husemann Ahrens Bischoff Dreyer
    """
)

#: Surnames that are also ordinary words or names of places: a name only in a name context.
COMMON_WORDS = _words(
    """
    Alt Bach Bauer Berg Braun Brand Busch Ernst Engel Essen Fink Fischer Frank Frey Fuchs
    Graf Groß Gross Hahn Halle Heide Horn Jäger Jung Kaiser Kara Keller Klein Koch König
    Kraft Kramer Kurt Lang Lange Licht Meister Neu Otto Pohl Richter Ritter Roth Sauer
    Schmid Schreiber Schuster Schwarz Sommer Stahl Stein Vogel Vogt Wagner
    Walter Weiß Winter Witt Wolf Hansen Hamm Herne Marx Sander Le Brown Polat Baran
    Mazur Karim Kaufmann Krämer Heinz Werner Ludwig Friedrich Wilhelm Günther Lorenz
    Siegen Dietrich Albrecht Arnold Seidel
    """
)

#: German cities and districts often named in workshop notes (never a person by itself).
PLACES = _words(
    """
    Aachen Augsburg Bamberg Bayreuth Berlin Bielefeld Bochum Bonn Bottrop Brandenburg
    Braunschweig Bremen Bremerhaven Celle Chemnitz Cottbus Darmstadt Dessau Detmold Dortmund
    Dresden Duisburg Düren Düsseldorf Eisenach Erfurt Erlangen Essen Flensburg Frankfurt
    Freiburg Fulda Gelsenkirchen Gera Gießen Gladbeck Görlitz Gotha Göttingen Gütersloh
    Hagen Halle Hamburg Hameln Hamm Hanau Hannover Heidelberg Heilbronn Herford Herne
    Hildesheim Homburg Ingolstadt Iserlohn Jena Kaiserslautern Karlsruhe Kassel Kiel Koblenz
    Köln Konstanz Krefeld Leipzig Leverkusen Lübeck Ludwigshafen Lüneburg Magdeburg Mainz
    Mannheim Marburg Marl Minden Moers Mönchengladbach Mülheim München Münster Neuss
    Nürnberg Oberhausen Offenbach Oldenburg Osnabrück Paderborn Passau Pforzheim Plauen
    Potsdam Recklinghausen Regensburg Remscheid Reutlingen Rostock Saarbrücken Salzgitter
    Schwerin Siegen Solingen Stralsund Stuttgart Suhl Trier Tübingen Ulm Unna Weimar
    Wiesbaden Witten Wolfsburg Worms Wuppertal Würzburg Zwickau Bad Oldenburg Neukölln
    Kreuzberg Altona Mitte Pankow Spandau Sachsen Bayern Hessen Thüringen Brandenburg
    Niedersachsen Westfalen Rheinland Saarland Ruhrgebiet Ostwestfalen Franken Schwaben
    Deutschland Europa
    """
)
